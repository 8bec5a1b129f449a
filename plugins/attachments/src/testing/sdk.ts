// The plugin's own AWS SDK, for benchmarks outside the workspace (npm keeps it in the plugin's node_modules).
export { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
export { Upload } from '@aws-sdk/lib-storage';
