/** Tests and the bench share the apps' helper. */
export { freePort } from '../../libs/config/src/free-port';
