package dev.switchboard.model.chat;

import java.util.Objects;

/** Where the bytes of an image, document or audio part are: at a URL, inline, or in a provider's file store. */
public sealed interface MediaSource {
    /** A URL the provider fetches ({@code https:}). */
    record Url(String url) implements MediaSource {
        public Url {
            Objects.requireNonNull(url, "url");
        }
    }

    /** The bytes themselves, base64-encoded, with their media type (e.g. {@code image/png}, {@code application/pdf}). */
    record Inline(String mediaType, String base64) implements MediaSource {
        public Inline {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(base64, "base64");
        }
    }

    /** A file already uploaded to the provider. */
    record FileId(String id) implements MediaSource {
        public FileId {
            Objects.requireNonNull(id, "id");
        }
    }
}
