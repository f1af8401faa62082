/**
 * FastEmbed's Java API over the native engine. {@code dev.fastembed.internal} (the FFM bindings, the native
 * handles and the file plumbing) is not exported: only its typed methods are used, from the exported packages.
 * On the module path, run with {@code --enable-native-access=dev.fastembed}; on the class path the jar's
 * {@code Enable-Native-Access} manifest entry and {@code --enable-native-access=ALL-UNNAMED} apply as before.
 */
module dev.fastembed {
    requires java.net.http;
    requires org.slf4j;

    exports dev.fastembed;
    exports dev.fastembed.catalog;
    exports dev.fastembed.hub;
}
