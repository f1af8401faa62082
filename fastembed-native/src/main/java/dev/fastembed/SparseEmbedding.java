package dev.fastembed;

import java.util.Arrays;
import java.util.Objects;

/**
 * A sparse vector, as fastembed returns it: {@code values[i]} is the weight of dimension {@code indices[i]}.
 * Indices ascend without duplicates and every value is above zero. SPLADE indices are token ids of the model's
 * vocabulary; BM25 and BM42 indices are MurmurHash3 hashes of words (non-negative, read as unsigned 32-bit
 * numbers where one is 2<sup>31</sup>). The arrays are used as given, not copied.
 */
public record SparseEmbedding(int[] indices, float[] values) {

    public SparseEmbedding {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (indices.length != values.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + values.length + " values");
        }
    }

    /** The number of non-zero dimensions. */
    public int size() {
        return indices.length;
    }

    /** The weight of {@code index}, 0 where the vector has none. */
    public float get(int index) {
        // Indices ascend as unsigned numbers: only a hash of 2^31 (a negative int) can sort last.
        int signedSorted = indices.length > 0 && indices[indices.length - 1] < 0 ? indices.length - 1 : indices.length;
        if (index < 0) {
            return signedSorted < indices.length && indices[signedSorted] == index ? values[signedSorted] : 0f;
        }
        int at = Arrays.binarySearch(indices, 0, signedSorted, index);
        return at >= 0 ? values[at] : 0f;
    }

    /** The sum of products over shared indices: the score a sparse vector index such as Qdrant's computes. */
    public double dot(SparseEmbedding other) {
        double sum = 0;
        int i = 0;
        int j = 0;
        while (i < indices.length && j < other.indices.length) {
            int order = Integer.compareUnsigned(indices[i], other.indices[j]);
            if (order == 0) {
                sum += (double) values[i++] * other.values[j++];
            } else if (order < 0) {
                i++;
            } else {
                j++;
            }
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseEmbedding other && Arrays.equals(indices, other.indices)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SparseEmbedding{");
        for (int i = 0; i < indices.length; i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(Integer.toUnsignedString(indices[i])).append('=').append(values[i]);
        }
        return s.append('}').toString();
    }
}
