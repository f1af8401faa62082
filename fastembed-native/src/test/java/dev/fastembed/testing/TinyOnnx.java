package dev.fastembed.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models from test code, so tests of model kinds that no package ships can run real ONNX
 * Runtime sessions with the input/output names, element types and symbolic shapes of the real models, on
 * weights the test knows and can compute with independently.
 *
 * <p>Only the part of onnx.proto that such graphs need is written: ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto (raw little-endian data) and ValueInfoProto with tensor types and
 * (symbolic) shapes. Default opset: 17 of the standard domain.
 *
 * <pre>{@code
 * TinyOnnx.Graph g = TinyOnnx.graph("splade");
 * g.input("input_ids", TinyOnnx.INT64, "batch", "sequence");
 * g.initializer("embedding", new float[] {...}, vocab, hidden);
 * g.node("Gather", List.of("embedding", "input_ids"), List.of("states"), TinyOnnx.attr("axis", 0));
 * g.output("states", TinyOnnx.FLOAT, "batch", "sequence", hidden);
 * Path model = g.write(dir.resolve("model.onnx"));
 * }</pre>
 */
public final class TinyOnnx {

    /** TensorProto.DataType values. */
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT32 = 6;
    public static final int INT64 = 7;

    public static final int DEFAULT_OPSET = 17;
    private static final long IR_VERSION = 8;

    private TinyOnnx() {
    }

    public static Graph graph(String name) {
        return new Graph(name);
    }

    /** An integer attribute, e.g. {@code axis}. */
    public static Attribute attr(String name, long value) {
        return new Attribute(name, w -> {
            w.varint(3, value);
            w.varint(20, 2);
        });
    }

    /** A float attribute, e.g. {@code epsilon}. */
    public static Attribute attr(String name, float value) {
        return new Attribute(name, w -> {
            w.fixed32(2, Float.floatToRawIntBits(value));
            w.varint(20, 1);
        });
    }

    /** A string attribute, e.g. {@code mode}. */
    public static Attribute attr(String name, String value) {
        return new Attribute(name, w -> {
            w.bytes(4, value.getBytes(StandardCharsets.UTF_8));
            w.varint(20, 3);
        });
    }

    /** A list-of-integers attribute, e.g. {@code perm} or {@code kernel_shape}. */
    public static Attribute ints(String name, long... values) {
        return new Attribute(name, w -> {
            for (long v : values) {
                w.varint(8, v);
            }
            w.varint(20, 7);
        });
    }

    /** A list-of-floats attribute. */
    public static Attribute floats(String name, float... values) {
        return new Attribute(name, w -> {
            for (float v : values) {
                w.fixed32(7, Float.floatToRawIntBits(v));
            }
            w.varint(20, 6);
        });
    }

    /** One named attribute of a node. */
    public record Attribute(String name, Body body) {
    }

    /** Writes the value fields of an attribute. */
    @FunctionalInterface
    public interface Body {
        void write(Writer w);
    }

    /** A graph under construction; {@link #toBytes()} or {@link #write(Path)} produce the model. */
    public static final class Graph {
        private final String name;
        private final List<byte[]> nodes = new ArrayList<>();
        private final List<byte[]> initializers = new ArrayList<>();
        private final List<byte[]> inputs = new ArrayList<>();
        private final List<byte[]> outputs = new ArrayList<>();
        private int opset = DEFAULT_OPSET;
        private int nodeCount;

        private Graph(String name) {
            this.name = name;
        }

        /** The opset of the standard domain (default {@value #DEFAULT_OPSET}). */
        public Graph opset(int opset) {
            this.opset = opset;
            return this;
        }

        /** A graph input; each dimension is an Integer (fixed) or a String (symbolic, e.g. "batch"). */
        public Graph input(String name, int elementType, Object... dims) {
            inputs.add(valueInfo(name, elementType, dims));
            return this;
        }

        /** A graph output, declared like {@link #input}. */
        public Graph output(String name, int elementType, Object... dims) {
            outputs.add(valueInfo(name, elementType, dims));
            return this;
        }

        /** A float constant of the given shape (row-major data). */
        public Graph initializer(String name, float[] data, long... dims) {
            ByteBuffer raw = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                raw.putFloat(v);
            }
            initializers.add(tensor(name, FLOAT, raw.array(), dims, data.length));
            return this;
        }

        /** An int64 constant of the given shape (shapes, axes, indices). */
        public Graph initializer(String name, long[] data, long... dims) {
            ByteBuffer raw = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : data) {
                raw.putLong(v);
            }
            initializers.add(tensor(name, INT64, raw.array(), dims, data.length));
            return this;
        }

        /**
         * A float initializer whose values ONNX Runtime reads from a separate file, {@code location} (relative
         * to the model's folder), as large models store their weights.
         */
        public Graph externalInitializer(String name, String location, long... dims) {
            Writer entry = new Writer();
            entry.string(1, "location");
            entry.string(2, location);
            Writer t = tensorHeader(name, FLOAT, dims);
            t.message(13, entry);
            t.varint(14, 1); // data_location: EXTERNAL
            initializers.add(t.toByteArray());
            return this;
        }

        /** A node of the standard domain. */
        public Graph node(String opType, List<String> nodeInputs, List<String> nodeOutputs, Attribute... attributes) {
            Writer w = new Writer();
            for (String in : nodeInputs) {
                w.string(1, in);
            }
            for (String out : nodeOutputs) {
                w.string(2, out);
            }
            w.string(3, opType + "_" + nodeCount++);
            w.string(4, opType);
            for (Attribute attribute : attributes) {
                Writer a = new Writer();
                a.string(1, attribute.name());
                attribute.body().write(a);
                w.message(5, a);
            }
            nodes.add(w.toByteArray());
            return this;
        }

        /** Shorthand for a node with one output. */
        public Graph node(String opType, String output, List<String> nodeInputs, Attribute... attributes) {
            return node(opType, nodeInputs, List.of(output), attributes);
        }

        public byte[] toBytes() {
            Writer graph = new Writer();
            nodes.forEach(n -> graph.raw(1, n));
            graph.string(2, name);
            initializers.forEach(t -> graph.raw(5, t));
            inputs.forEach(v -> graph.raw(11, v));
            outputs.forEach(v -> graph.raw(12, v));

            Writer opsetId = new Writer();
            opsetId.string(1, "");
            opsetId.varint(2, opset);

            Writer model = new Writer();
            model.varint(1, IR_VERSION);
            model.string(2, "fastembed-tests");
            model.message(7, graph);
            model.message(8, opsetId);
            return model.toByteArray();
        }

        /** Writes the model to {@code file} (creating parent folders) and returns it. */
        public Path write(Path file) {
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                Files.write(file, toBytes());
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static byte[] tensor(String name, int dataType, byte[] raw, long[] dims, int count) {
            long expected = 1;
            for (long d : dims) {
                expected *= d;
            }
            if (expected != count) {
                throw new IllegalArgumentException(name + ": " + count + " values for shape " + java.util.Arrays.toString(dims));
            }
            Writer t = tensorHeader(name, dataType, dims);
            t.bytes(9, raw);
            return t.toByteArray();
        }

        /** A TensorProto's dims, data type and name; the caller adds where the data is. */
        private static Writer tensorHeader(String name, int dataType, long[] dims) {
            Writer t = new Writer();
            for (long d : dims) {
                t.varint(1, d);
            }
            t.varint(2, dataType);
            t.string(8, name);
            return t;
        }

        private static byte[] valueInfo(String name, int elementType, Object[] dims) {
            Writer shape = new Writer();
            for (Object dim : dims) {
                Writer d = new Writer();
                switch (dim) {
                    case Integer i -> d.varint(1, i);
                    case Long l -> d.varint(1, l);
                    case String s -> d.string(2, s);
                    default -> throw new IllegalArgumentException("dimension must be a number or a name: " + dim);
                }
                shape.message(1, d);
            }
            Writer tensorType = new Writer();
            tensorType.varint(1, elementType);
            tensorType.message(2, shape);
            Writer type = new Writer();
            type.message(1, tensorType);
            Writer info = new Writer();
            info.string(1, name);
            info.message(2, type);
            return info.toByteArray();
        }
    }

    /** Protocol buffer wire format: varints, 32-bit fixed values and length-delimited fields. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            tag(field, 0);
            rawVarint(value);
        }

        void fixed32(int field, int value) {
            tag(field, 5);
            for (int i = 0; i < 4; i++) {
                out.write((value >>> (8 * i)) & 0xFF);
            }
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(int field, byte[] value) {
            tag(field, 2);
            rawVarint(value.length);
            out.writeBytes(value);
        }

        void message(int field, Writer message) {
            bytes(field, message.toByteArray());
        }

        void raw(int field, byte[] encodedMessage) {
            bytes(field, encodedMessage);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            rawVarint(((long) field << 3) | wireType);
        }

        private void rawVarint(long value) {
            // Negative int64 values take ten bytes, as protobuf encodes them.
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
