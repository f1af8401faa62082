package dev.fastembed.spring.autoconfigure;

import dev.fastembed.spring.PooledModel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;

import java.util.LinkedHashMap;
import java.util.Map;

/** The model beans by model name, for health and metrics. */
final class PooledModels {

    private static final Log log = LogFactory.getLog(PooledModels.class);

    private PooledModels() {
    }

    static Map<String, PooledModel> byName(ObjectProvider<PooledModel> models) {
        Map<String, PooledModel> byName = new LinkedHashMap<>();
        models.orderedStream().forEach(model -> {
            PooledModel previous = byName.putIfAbsent(model.name(), model);
            if (previous != null && previous != model) {
                log.warn("Two fastembed model beans are named '" + model.name() + "'; health and metrics show "
                        + "only the first");
            }
        });
        return byName;
    }
}
