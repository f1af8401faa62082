package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubNamesTest {

    @Test
    void acceptsRepoIdsTheHubAccepts() {
        for (String repo : new String[]{"BAAI/bge-small-en-v1.5", "Qdrant/all_miniLM_L6_v2_with_attentions",
                "snowflake/snowflake-arctic-embed-l-v2.0", "gpt2"}) {
            assertThat(HubNames.requireRepoId(repo)).isEqualTo(repo);
        }
        assertThat(HubNames.isNamespacedRepoId("gpt2")).isFalse();
        assertThat(HubNames.isNamespacedRepoId("org/name")).isTrue();
    }

    @Test
    void refusesRepoIdsThatCouldEscapeOrCollide() {
        for (String repo : new String[]{"..", "../x", "org/..", "org/../x", "a/b/c", "/org/name", "org/name/",
                "org--a/name", "org/na--me", "org/.name", "org/name.", "org/na me", "org\\name", "org/na..me",
                "x".repeat(97)}) {
            assertThatThrownBy(() -> HubNames.requireRepoId(repo)).as(repo)
                    .isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT));
        }
    }

    @Test
    void acceptsNestedRelativeFilePaths() {
        for (String file : new String[]{"model.onnx", "onnx/model.onnx_data", "a/b/c.json", "model..onnx"}) {
            assertThat(HubNames.requireFilePath(file)).isEqualTo(file);
        }
    }

    @Test
    void refusesFilePathsThatLeaveTheRepository() {
        for (String file : new String[]{"", "..", "../model.onnx", "onnx/../../x", "/etc/passwd", "a//b", "a/",
                "./a", "a\\b", "..\\x", "C:/x", "a\u0000b", "a\nb"}) {
            assertThatThrownBy(() -> HubNames.requireFilePath(file)).as(file)
                    .isInstanceOf(FastEmbedException.class);
        }
    }

    @Test
    void errorMessagesShowControlCharacters() {
        assertThatThrownBy(() -> HubNames.requireFilePath("a\u0000b")).hasMessageContaining("a\\u0000b");
    }

    @Test
    void recognisesFullCommitHashes() {
        assertThat(HubNames.isCommitHash("5c38ec7c405ec4b44b94cc5a9bb96e735b38267a")).isTrue();
        assertThat(HubNames.isCommitHash("main")).isFalse();
        assertThat(HubNames.isCommitHash("5c38ec7")).isFalse();
    }
}
