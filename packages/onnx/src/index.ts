export { onnx } from './proto.js';
export { exportOnnx, exportModelProto, saveOnnx, loadOnnxFile, decodeModel, DEFAULT_OPSET, type ExportOnnxOptions } from './export.js';
export { checkModel, assertValidModel, OPERATORS } from './check.js';
export { importOnnx, OnnxModule, IMPORT_OPS } from './import.js';
