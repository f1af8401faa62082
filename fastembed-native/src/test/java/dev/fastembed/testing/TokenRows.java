package dev.fastembed.testing;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading the rows of generated multi-vector graphs whose first component is the token id times a scale
 * (ColPaliModels, ColModernVbertModels), and the ids Hugging Face tokenizers (DJL) give the same text.
 */
public final class TokenRows {

    private TokenRows() {
    }

    /** The token id each row was computed from. */
    public static List<Long> ids(float[][] rows, float idScale) {
        List<Long> ids = new ArrayList<>();
        for (float[] row : rows) {
            ids.add((long) Math.round(row[0] / idScale));
        }
        return ids;
    }

    /** Component {@code index} of every row. */
    public static List<Float> column(float[][] rows, int index) {
        List<Float> values = new ArrayList<>();
        for (float[] row : rows) {
            values.add(row[index]);
        }
        return values;
    }

    /** The oracle's ids of {@code text}. */
    public static List<Long> oracleIds(HuggingFaceTokenizer oracle, String text) {
        List<Long> ids = new ArrayList<>();
        for (long id : oracle.encode(text).getIds()) {
            ids.add(id);
        }
        return ids;
    }
}
