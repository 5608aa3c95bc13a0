export { missingServerError } from './missing-server.js';
