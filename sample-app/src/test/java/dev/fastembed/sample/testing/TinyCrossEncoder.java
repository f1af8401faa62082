package dev.fastembed.sample.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny ONNX graph with the interface of a BERT cross-encoder reranker: inputs {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids} (int64, [batch, sequence]), output {@code logits} (float,
 * [batch, 1]). Its "relevance" is plain arithmetic, {@code 0.0001 × Σ id × type} over the pair's tokens, i.e. a
 * scaled sum of the token ids of the document segment. No package ships a small reranker, and a test of the
 * sample's plumbing needs scores that differ from dense similarity, not meaningful ones.
 *
 * <p>Only the fields of onnx.proto that this graph needs are written (protobuf wire format by hand):
 * ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto and ValueInfoProto.
 */
public final class TinyCrossEncoder {

    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTRIBUTE_INT = 2;
    private static final float SCALE = 1e-4f;

    private TinyCrossEncoder() {
    }

    /** Writes the model to {@code file} and returns it. */
    public static Path write(Path file) throws IOException {
        Proto graph = new Proto()
                .message(1, node("Cast", "cast_ids", attributeInt("to", FLOAT), "input_ids", "ids_f"))
                .message(1, node("Cast", "cast_types", attributeInt("to", FLOAT), "token_type_ids", "types_f"))
                .message(1, node("Cast", "cast_mask", attributeInt("to", FLOAT), "attention_mask", "mask_f"))
                .message(1, node("Mul", "document_ids", null, "ids_f", "types_f", "doc_ids"))
                .message(1, node("Mul", "masked", null, "doc_ids", "mask_f", "masked_ids"))
                .message(1, node("ReduceSum", "sum", attributeInt("keepdims", 1), "masked_ids", "axes", "sums"))
                .message(1, node("Mul", "scale", null, "sums", "scale", "logits"))
                .string(2, "tiny-cross-encoder")
                .message(5, int64Tensor("axes", 1L))
                .message(5, floatTensor("scale", SCALE))
                .message(11, valueInfo("input_ids", INT64, "batch", "sequence"))
                .message(11, valueInfo("attention_mask", INT64, "batch", "sequence"))
                .message(11, valueInfo("token_type_ids", INT64, "batch", "sequence"))
                .message(12, valueInfo("logits", FLOAT, "batch", 1L));
        Proto model = new Proto()
                .varint(1, 8)                                              // ir_version
                .string(2, "fastembed-sample-tests")                       // producer_name
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 17));      // opset_import: default domain, 17
        return Files.write(file, model.bytes());
    }

    /** A node; the last name is its one output, the others its inputs. */
    private static Proto node(String op, String name, Proto attribute, String... inputsThenOutput) {
        Proto node = new Proto();
        for (int i = 0; i < inputsThenOutput.length - 1; i++) {
            node.string(1, inputsThenOutput[i]);
        }
        node.string(2, inputsThenOutput[inputsThenOutput.length - 1]).string(3, name).string(4, op);
        if (attribute != null) {
            node.message(5, attribute);
        }
        return node;
    }

    private static Proto attributeInt(String name, long value) {
        return new Proto().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
    }

    private static Proto int64Tensor(String name, long value) {
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return new Proto().varint(1, 1).varint(2, INT64).string(8, name).bytes(9, data.array());
    }

    private static Proto floatTensor(String name, float value) {
        ByteBuffer data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        return new Proto().varint(1, 1).varint(2, FLOAT).string(8, name).bytes(9, data.array());
    }

    /** A tensor's name, element type and shape; a dimension is a String (symbolic) or a Long (fixed). */
    private static Proto valueInfo(String name, int elementType, Object... dims) {
        Proto shape = new Proto();
        for (Object dim : dims) {
            shape.message(1, dim instanceof String symbol ? new Proto().string(2, symbol)
                    : new Proto().varint(1, (Long) dim));
        }
        Proto tensorType = new Proto().varint(1, elementType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** A protobuf message being written: fields in the order added. */
    private static final class Proto {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            writeVarint(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return bytes(field, message.bytes());
        }

        Proto bytes(int field, byte[] value) {
            tag(field, 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            writeVarint(((long) field << 3) | wireType);
        }

        private void writeVarint(long value) {
            long rest = value;
            while ((rest & ~0x7FL) != 0) {
                out.write((int) ((rest & 0x7F) | 0x80));
                rest >>>= 7;
            }
            out.write((int) rest);
        }
    }
}
