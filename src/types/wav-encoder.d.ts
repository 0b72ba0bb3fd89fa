declare module 'wav-encoder' {
  interface AudioData {
    sampleRate: number;
    channelData: Float32Array[];
  }
  interface EncodeOptions {
    bitDepth?: 8 | 16 | 24 | 32;
    float?: boolean;
    symmetric?: boolean;
  }
  const WavEncoder: {
    encode: ((audio: AudioData, opts?: EncodeOptions) => Promise<ArrayBuffer>) & {
      sync(audio: AudioData, opts?: EncodeOptions): ArrayBuffer;
    };
  };
  export default WavEncoder;
}
