package dev.fastembed.bench;

import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.transformers.TransformersEmbeddingModel;

import java.util.List;

/**
 * Spring AI's {@link TransformersEmbeddingModel} on the same ONNX and tokenizer.json files (read directly, its
 * resource cache off). Note that it always mean-pools, where bge-small-en-v1.5 is meant to be CLS-pooled.
 */
final class SpringAiTransformersContender implements Contender {

    private final TransformersEmbeddingModel model = new TransformersEmbeddingModel(MetadataMode.NONE);

    SpringAiTransformersContender(ModelDir dir) throws Exception {
        model.setDisableCaching(true);
        model.setTokenizerResource(dir.tokenizer().toUri().toString());
        model.setModelResource(dir.model().toUri().toString());
        model.setModelOutputName("last_hidden_state");
        model.afterPropertiesSet();
    }

    @Override
    public float[][] embedAll(List<String> texts) {
        return SpringAiBulk.embed(model, texts);
    }

    @Override
    public float[] embedOne(String text) {
        return model.embed(text);
    }

    @Override
    public void close() throws Exception {
        model.close();
    }
}
