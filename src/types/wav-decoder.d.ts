declare module 'wav-decoder' {
  const WavDecoder: {
    decode(buffer: ArrayBuffer | Uint8Array): Promise<{ sampleRate: number; channelData: Float32Array[] }>;
  };
  export default WavDecoder;
}
