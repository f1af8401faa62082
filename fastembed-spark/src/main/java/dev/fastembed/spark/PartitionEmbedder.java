package dev.fastembed.spark;

import dev.fastembed.SparseEmbedding;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The per-partition work of {@link FastEmbedTransformer}: rows stream through in chunks of {@code batchSize},
 * each chunk's texts go to the executor's shared model in one call, and each row comes out with its result
 * appended. At most one chunk of rows and results is held per task, whatever the partition's size.
 */
final class PartitionEmbedder implements MapPartitionsFunction<Row, Row> {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionEmbedder.class);

    /** The largest index a Spark {@code SparseVector} of size {@link Integer#MAX_VALUE} can hold. */
    static final int SPARSE_SIZE = Integer.MAX_VALUE;

    private final ModelSpec spec;
    private final String inputCol;
    private final int inputIndex;
    private final int batchSize;
    private final String textType;
    private final boolean asArray;
    private final boolean nullOnError;

    PartitionEmbedder(ModelSpec spec, String inputCol, int inputIndex, int batchSize, String textType, boolean asArray,
                      boolean nullOnError) {
        this.spec = spec;
        this.inputCol = inputCol;
        this.inputIndex = inputIndex;
        this.batchSize = batchSize;
        this.textType = textType;
        this.asArray = asArray;
        this.nullOnError = nullOnError;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        int partition = task == null ? -1 : task.partitionId();
        return new Chunks(rows, partition);
    }

    /** Pulls {@code batchSize} rows, embeds them, hands them out, then pulls the next chunk. */
    private final class Chunks implements Iterator<Row> {
        private final Iterator<Row> input;
        private final int partition;
        private final long start = System.nanoTime();
        private List<Row> chunk = List.of();
        private int next;
        private long position;
        private long failed;
        private boolean done;
        private Embedder embedder;

        Chunks(Iterator<Row> input, int partition) {
            this.input = input;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            if (next < chunk.size()) {
                return true;
            }
            if (!input.hasNext()) {
                if (!done) {
                    done = true;
                    LOG.info("fastembed-spark: partition {}: {} rows ({} nulled on error) in {} ms", partition, position,
                            failed, (System.nanoTime() - start) / 1_000_000);
                }
                chunk = List.of();
                next = 0;
                return false;
            }
            chunk = embedChunk();
            next = 0;
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return chunk.get(next++);
        }

        private List<Row> embedChunk() {
            List<Row> rows = new ArrayList<>(batchSize);
            while (rows.size() < batchSize && input.hasNext()) {
                rows.add(input.next());
            }
            long first = position;
            position += rows.size();
            List<String> texts = new ArrayList<>(rows.size());
            List<Integer> at = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                if (!rows.get(i).isNullAt(inputIndex)) {
                    texts.add(rows.get(i).getString(inputIndex));
                    at.add(i);
                }
            }
            Object[] outputs = new Object[rows.size()];
            if (!texts.isEmpty()) {
                if (embedder == null) {
                    embedder = ExecutorModels.get(spec);
                }
                List<?> results = null;
                try {
                    results = embedder.embed(texts, textType);
                } catch (RuntimeException e) {
                    // One call for the whole chunk failed: find the rows at fault by embedding them one by one.
                    LOG.debug("fastembed-spark: a chunk failed, retrying its rows singly", e);
                }
                for (int t = 0; t < texts.size(); t++) {
                    int row = at.get(t);
                    try {
                        Object result = results != null ? results.get(t) : embedder.embed(List.of(texts.get(t)), textType).getFirst();
                        outputs[row] = convert(result);
                    } catch (RuntimeException e) {
                        if (!nullOnError) {
                            throw new FastEmbedSparkException("Row " + (first + row) + " of partition " + partition
                                    + " (input column '" + inputCol + "') could not be embedded: " + e.getMessage()
                                    + ". Set onError=null to write null for such rows.", e);
                        }
                        failed++;
                        LOG.warn("fastembed-spark: row {} of partition {} (input column '{}') nulled: {}", first + row,
                                partition, inputCol, e.toString());
                        outputs[row] = null;
                    }
                }
            }
            List<Row> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                Object[] values = new Object[row.length() + 1];
                for (int c = 0; c < row.length(); c++) {
                    values[c] = row.get(c);
                }
                values[row.length()] = outputs[i];
                out.add(RowFactory.create(values));
            }
            return out;
        }

        private Object convert(Object result) {
            if (result instanceof float[] vector) {
                if (asArray) {
                    return vector;
                }
                double[] values = new double[vector.length];
                for (int i = 0; i < vector.length; i++) {
                    values[i] = vector[i];
                }
                return Vectors.dense(values);
            }
            SparseEmbedding sparse = (SparseEmbedding) result;
            int[] indices = sparse.indices();
            double[] values = new double[indices.length];
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0 || indices[i] >= SPARSE_SIZE) {
                    throw new IllegalStateException("sparse index " + Integer.toUnsignedString(indices[i])
                            + " does not fit a Spark SparseVector (indices below 2^31-1)");
                }
                values[i] = sparse.values()[i];
            }
            return Vectors.sparse(SPARSE_SIZE, indices, values);
        }
    }
}
