export * from './aes-gcm-payload-codec';
export * from './encryption-keys';
