/** Bump when a change alters the audio produced for the same input (invalidates caches). */
export const ENGINE_VERSION = '3';
