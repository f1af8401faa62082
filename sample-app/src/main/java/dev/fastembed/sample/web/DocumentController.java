package dev.fastembed.sample.web;

import dev.fastembed.sample.SampleProperties;
import dev.fastembed.sample.index.DocumentIndex;
import dev.fastembed.sample.index.EmptyDocumentException;
import dev.fastembed.sample.index.IngestedDocument;
import dev.fastembed.sample.index.SourceDocument;
import dev.fastembed.sample.index.TextFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /api/documents}: ingest plain text and Markdown (JSON body or file upload), list what is indexed.
 * Ingesting a source name again replaces that document.
 */
@RestController
@RequestMapping("/api/documents")
class DocumentController {

    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /**
     * @param source  unique name, e.g. {@code release-notes.md}; its extension gives the format unless set
     * @param title   optional; default: the first heading or line
     * @param format  optional: {@code markdown} or {@code text}
     * @param content the document's text
     */
    record DocumentRequest(String source, String title, String format, String content) {
    }

    /** What the index holds about a document (without chunk ids). */
    record DocumentView(String source, String title, String format, int characters, int chunks, Instant ingestedAt) {

        static DocumentView of(IngestedDocument document) {
            return new DocumentView(document.source(), document.title(), document.format(), document.characters(),
                    document.chunks(), document.ingestedAt());
        }
    }

    record DocumentList(int documents, int chunks, List<DocumentView> items) {
    }

    private final DocumentIndex index;
    private final SampleProperties.Limits limits;

    DocumentController(DocumentIndex index, SampleProperties properties) {
        this.index = index;
        this.limits = properties.limits();
    }

    @GetMapping
    DocumentList list() {
        List<DocumentView> items = index.documents().stream().map(DocumentView::of).toList();
        return new DocumentList(items.size(), index.chunkCount(), items);
    }

    @GetMapping("/{source}")
    DocumentView get(@PathVariable String source) {
        return index.document(source).map(DocumentView::of).orElseThrow(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "No document named '" + source + "'"));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DocumentView> ingest(@RequestBody DocumentRequest request, UriComponentsBuilder uri) {
        return ingest(validate(request.source(), request.title(), request.format(), request.content(), "content"),
                "content", uri);
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DocumentView> upload(@RequestParam("file") MultipartFile file,
                                        @RequestParam(required = false) String title,
                                        @RequestParam(required = false) String format,
                                        UriComponentsBuilder uri) {
        if (file.getSize() > 4L * limits.maxDocumentChars()) {
            throw new InvalidRequestException("file", "The file has " + file.getSize() + " bytes; at most "
                    + limits.maxDocumentChars() + " characters are allowed");
        }
        return ingest(validate(file.getOriginalFilename(), title, format, utf8(file), "file"), "file", uri);
    }

    private ResponseEntity<DocumentView> ingest(SourceDocument document, String contentField, UriComponentsBuilder uri) {
        IngestedDocument ingested;
        try {
            ingested = index.ingest(document);
        } catch (EmptyDocumentException e) {
            throw new InvalidRequestException(contentField, e.getMessage());
        }
        return ResponseEntity.created(uri.path("/api/documents/{source}").build(ingested.source()))
                .body(DocumentView.of(ingested));
    }

    private SourceDocument validate(String source, String title, String format, String content, String contentField) {
        if (source == null || source.isBlank()) {
            throw new InvalidRequestException("source", "Give the document a source name, e.g. \"notes.md\"");
        }
        if (!SOURCE_NAME.matcher(source).matches()) {
            throw new InvalidRequestException("source", "The source name may have letters, digits, '.', '_' and "
                    + "'-' (at most 100, starting with a letter or digit); got \"" + source + "\"");
        }
        TextFormat textFormat;
        if (format != null && !format.isBlank()) {
            textFormat = TextFormat.parse(format).orElseThrow(() -> new InvalidRequestException("format",
                    "format must be markdown or text, got \"" + format + "\""));
        } else {
            textFormat = TextFormat.ofFileName(source).orElseThrow(() -> new InvalidRequestException("format",
                    "Name the source .md, .markdown or .txt, or set format to markdown or text"));
        }
        if (content == null || content.isBlank()) {
            throw new InvalidRequestException(contentField, "The document is empty");
        }
        if (content.length() > limits.maxDocumentChars()) {
            throw new InvalidRequestException(contentField, "The document has " + content.length()
                    + " characters; at most " + limits.maxDocumentChars() + " are allowed");
        }
        if (title != null && title.length() > 200) {
            throw new InvalidRequestException("title", "The title has " + title.length()
                    + " characters; at most 200 are allowed");
        }
        return new SourceDocument(source, title, textFormat, content);
    }

    private static String utf8(MultipartFile file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file.getBytes())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("file", "The file is not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
