// The programmatic API of tts: the engine that every command drives, its sinks, the serve-stdin
// client, and the benchmark statistics.
export { Engine, ENGINE_VERSION, validateSpeed, type AudioChunk, type EngineEvent, type EngineOptions, type SynthesisRequest } from './engine/engine.js';
export { TtsError, type ErrorCode } from './engine/errors.js';
export { writeAudio } from './engine/sinks/audio-out.js';
export { createEncoder, resolveFormat, FORMATS, MIME_TYPES, type AudioFormat, type StreamEncoder } from './engine/audio/formats.js';
export { LoudnessMeter, integratedLoudness } from './engine/audio/loudness-meter.js';
export { truePeak } from './engine/audio/true-peak.js';
export { playChunks } from './engine/sinks/speaker.js';
export { encodeWav, readWavInfo } from './engine/audio/wav.js';
export { listVoices } from './engine/voices.js';
export { warm, type WarmOptions, type WarmReport } from './engine/warm.js';
export { TtsClient, ServerError, type Speech, type StreamChunk, type SpeakOptions, type ClientOptions } from './serve/client.js';
export { PROTOCOL_VERSION, type ServerEvent } from './serve/protocol.js';
export { runBench, type BenchRun, type BenchOutput } from './bench/bench.js';
export { summarize, shapiroWilk, mannWhitneyU, quantile, type Summary } from './bench/stats.js';
