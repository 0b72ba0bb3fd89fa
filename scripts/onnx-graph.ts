// A very small ONNX graph builder over the onnx-proto message classes: just enough to write the
// generated test models (gen-test-models.ts). Not part of the runtime: nothing under src/ uses it.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type ElemType = 'float32' | 'int64' | 'int32';
type AttrValue = number | number[] | string;

const DATA_TYPE: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
};

export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  /** A graph input; a string dimension is symbolic (dynamic). */
  input(name: string, type: ElemType, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElemType, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A constant tensor stored in the model file. */
  constant(type: ElemType, dims: number[], values: ArrayLike<number> | Float32Array | BigInt64Array): string {
    const name = `c${this.counter++}`;
    const raw =
      type === 'float32'
        ? new Uint8Array(Float32Array.from(values as ArrayLike<number>).buffer)
        : type === 'int32'
          ? new Uint8Array(Int32Array.from(values as ArrayLike<number>).buffer)
          : new Uint8Array(BigInt64Array.from(Array.from(values as ArrayLike<number>, (v) => BigInt(v))).buffer);
    this.initializers.push({ name, dataType: DATA_TYPE[type], dims, rawData: raw });
    return name;
  }

  /** Adds a node; returns the names of its outputs (one unless `outputs` says otherwise). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs = 1, outName?: string): string[] {
    const outNames = Array.from({ length: outputs }, (_, i) =>
      outName && i === 0 ? outName : `${opType.toLowerCase()}_${this.counter++}`,
    );
    this.nodes.push({
      opType,
      input: inputs,
      output: outNames,
      name: `${opType}_${this.counter++}`,
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
    return outNames;
  }

  /** Shorthand for a single-output node. */
  one(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outName?: string): string {
    return this.op(opType, inputs, attrs, 1, outName)[0]!;
  }

  /** Serializes the model (IR 8, default-domain opset 17). */
  encode(metadata: Record<string, string> = {}): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'tts gen-test-models',
      opsetImport: [{ domain: '', version: 17 }],
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, type: ElemType, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if (Number.isInteger(v)) return { name, type: T.INT, i: v };
  return { name, type: T.FLOAT, f: v };
}
