package dev.fastembed.sample.index;

import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;
import org.springframework.ai.vectorstore.filter.Filter;

import java.util.Collection;
import java.util.List;

/**
 * Spring AI filter expressions ({@code source == 'tides.txt' && chunk == 0}) as Lucene queries over the
 * metadata fields: text and booleans are indexed as exact terms, whole numbers as longs, other numbers as
 * doubles. {@code ==}, {@code !=}, {@code in}, {@code nin}, {@code <}, {@code <=}, {@code >}, {@code >=},
 * {@code &&}, {@code ||}, {@code !}, {@code isNull} and {@code isNotNull} are supported.
 */
final class LuceneFilters {

    private LuceneFilters() {
    }

    /** Longer text is stored, not indexed: Lucene refuses terms over 32 766 bytes, and nobody filters on it. */
    static final int MAX_INDEXED_CHARS = 1000;

    /**
     * The fields a metadata entry is indexed as, for filters. Lists, maps and text over
     * {@value #MAX_INDEXED_CHARS} characters are only stored.
     */
    static List<Field> indexed(String key, Object value) {
        String field = LuceneVectorStore.META + key;
        if (value instanceof String text && text.length() > MAX_INDEXED_CHARS) {
            return List.of();
        }
        if (value instanceof String || value instanceof Boolean) {
            return List.of(new StringField(field, value.toString(), Field.Store.NO));
        }
        if (isWholeNumber(value)) {
            return List.of(new LongField(field, ((Number) value).longValue(), Field.Store.NO));
        }
        if (value instanceof Number number) {
            return List.of(new DoubleField(field, number.doubleValue(), Field.Store.NO));
        }
        return List.of();
    }

    static Query toQuery(Filter.Expression expression) {
        return switch (expression.type()) {
            case AND -> bool(BooleanClause.Occur.FILTER, operand(expression.left()), operand(expression.right()));
            case OR -> bool(BooleanClause.Occur.SHOULD, operand(expression.left()), operand(expression.right()));
            case NOT -> not(operand(expression.left()));
            case EQ -> equal(key(expression), value(expression));
            case NE -> not(equal(key(expression), value(expression)));
            case IN -> in(key(expression), value(expression));
            case NIN -> not(in(key(expression), value(expression)));
            case GT, GTE, LT, LTE -> range(expression.type(), key(expression), value(expression));
            case ISNULL -> not(new FieldExistsQuery(LuceneVectorStore.META + key(expression)));
            case ISNOTNULL -> new FieldExistsQuery(LuceneVectorStore.META + key(expression));
        };
    }

    private static Query operand(Filter.Operand operand) {
        if (operand instanceof Filter.Expression expression) {
            return toQuery(expression);
        }
        if (operand instanceof Filter.Group group) {
            return toQuery(group.content());
        }
        throw new IllegalArgumentException("Not a filter expression: " + operand);
    }

    private static Query bool(BooleanClause.Occur occur, Query left, Query right) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        query.add(left, occur);
        query.add(right, occur);
        if (occur == BooleanClause.Occur.SHOULD) {
            query.setMinimumNumberShouldMatch(1);
        }
        return query.build();
    }

    private static Query not(Query query) {
        return new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
                .add(query, BooleanClause.Occur.MUST_NOT).build();
    }

    private static Query equal(String key, Object value) {
        String field = LuceneVectorStore.META + key;
        if (value instanceof String || value instanceof Boolean) {
            return new TermQuery(new Term(field, value.toString()));
        }
        if (isWholeNumber(value)) {
            return LongField.newExactQuery(field, ((Number) value).longValue());
        }
        if (value instanceof Number number) {
            return DoubleField.newExactQuery(field, number.doubleValue());
        }
        throw new IllegalArgumentException("Unsupported filter value for '" + key + "': " + value);
    }

    private static Query in(String key, Object values) {
        if (!(values instanceof Collection<?> list)) {
            return equal(key, values);
        }
        if (list.stream().allMatch(value -> value instanceof String)) {
            return new TermInSetQuery(LuceneVectorStore.META + key,
                    list.stream().map(value -> new BytesRef((String) value)).toList());
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        list.forEach(value -> any.add(equal(key, value), BooleanClause.Occur.SHOULD));
        return any.build();
    }

    private static Query range(Filter.ExpressionType type, String key, Object value) {
        String field = LuceneVectorStore.META + key;
        boolean lower = type == Filter.ExpressionType.GT || type == Filter.ExpressionType.GTE;
        boolean inclusive = type == Filter.ExpressionType.GTE || type == Filter.ExpressionType.LTE;
        if (isWholeNumber(value)) {
            long bound = ((Number) value).longValue();
            if (!inclusive) {
                bound = lower ? Math.addExact(bound, 1) : Math.subtractExact(bound, 1);
            }
            return lower ? LongField.newRangeQuery(field, bound, Long.MAX_VALUE)
                    : LongField.newRangeQuery(field, Long.MIN_VALUE, bound);
        }
        if (value instanceof Number number) {
            double bound = number.doubleValue();
            if (!inclusive) {
                bound = lower ? Math.nextUp(bound) : Math.nextDown(bound);
            }
            return lower ? DoubleField.newRangeQuery(field, bound, Double.POSITIVE_INFINITY)
                    : DoubleField.newRangeQuery(field, Double.NEGATIVE_INFINITY, bound);
        }
        throw new IllegalArgumentException("Ranges need a number, got '" + value + "' for '" + key + "'");
    }

    private static String key(Filter.Expression expression) {
        if (expression.left() instanceof Filter.Key key) {
            // The text parser keeps quotes around keys written as 'key' or "key".
            return key.key().replaceAll("^[\"']|[\"']$", "");
        }
        throw new IllegalArgumentException("A filter compares a metadata key, got " + expression.left());
    }

    private static Object value(Filter.Expression expression) {
        if (expression.right() instanceof Filter.Value value) {
            return value.value();
        }
        throw new IllegalArgumentException("A filter compares with a value, got " + expression.right());
    }

    static boolean isWholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    }
}
