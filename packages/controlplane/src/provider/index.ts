export { FileProvider } from './file-provider';
