export {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_STRONGBOX_BACKEND,
  ATTR_STRONGBOX_BATCH_SIZE,
  ATTR_STRONGBOX_INDETERMINATE,
  ATTR_STRONGBOX_KEY,
  ATTR_STRONGBOX_UNHEALTHY,
  dbSystemName,
} from './attributes.js';
export {
  type InstrumentStrongboxOptions,
  instrumentStrongbox,
  type StrongboxInstrumentation,
} from './instrument-strongbox.js';
