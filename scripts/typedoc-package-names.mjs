// TypeDoc plugin: name each entry point's module by its import path ("@strongbox/core/conformance")
// instead of its folder ("core/src/conformance"), without a @module tag in every entry file.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const match = /^([^/]+)\/src(\/.+)?$/.exec(module.name);
      if (match) module.name = `@strongbox/${match[1]}${match[2] ?? ''}`;
    }
  });
}
