package dev.switchboard.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML document into a tree. Duplicate keys are errors (YAML would keep only the last). A
 * syntax error is reported by position and SnakeYAML's one-line description of the problem, never
 * with the source line it quotes, since that line may hold a secret (an unterminated
 * {@code api_key: "sk-...}).
 */
final class YamlReader {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** A class-path resource that ships with the gateway; being wrong is a build error, so it throws. */
    ObjectNode resource(String name) {
        try (InputStream in = YamlReader.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource missing from the class path: " + name);
            }
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("resource unreadable: " + name, e);
        }
    }

    /** The file's top-level mapping; on any problem, that problem is recorded and an empty mapping returned. */
    ObjectNode file(Path file, Problems problems) {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            problems.add(source, "", "cannot read: is a directory");
            return empty();
        }
        try {
            return topLevel(yaml.readTree(Files.readString(file)), source, problems);
        } catch (JsonProcessingException e) {
            reportInvalid(e, source, problems);
        } catch (IOException e) {
            problems.add(source, "", "cannot read: " + readFailure(e));
        }
        return empty();
    }

    private static ObjectNode topLevel(JsonNode tree, String source, Problems problems) {
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return empty();
        }
        if (!tree.isObject()) {
            problems.add(source, "", "must be a YAML mapping at the top level");
            return empty();
        }
        return (ObjectNode) tree;
    }

    private static void reportInvalid(JsonProcessingException e, String source, Problems problems) {
        MarkedYAMLException marked = marked(e);
        if (marked != null && marked.getProblemMark() != null) {
            problems.add(source, position(marked.getProblemMark()), "invalid YAML: " + description(marked));
        } else if (e.getOriginalMessage() != null
                && e.getOriginalMessage().startsWith("Duplicate field")
                && e.getProcessor() instanceof JsonParser parser) {
            String line = e.getLocation() == null
                    ? ""
                    : " (again at line " + e.getLocation().getLineNr() + ")";
            problems.add(source, dottedPath(parser.getParsingContext()), "duplicate key" + line);
        } else {
            String where = e.getLocation() == null
                    ? ""
                    : "line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            problems.add(source, where, "invalid YAML");
        }
    }

    private static @Nullable MarkedYAMLException marked(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException marked) {
                return marked;
            }
        }
        return null;
    }

    /**
     * SnakeYAML's problem ("found unexpected end of stream") and context ("while scanning a quoted
     * scalar", with where that began): fixed phrases naming at most one character, no source text.
     */
    private static String description(MarkedYAMLException e) {
        String problem = firstLine(e.getProblem());
        if (e.getContext() == null) {
            return problem;
        }
        String started = e.getContextMark() == null ? "" : " that began at " + position(e.getContextMark());
        return problem + " (" + firstLine(e.getContext()) + started + ")";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "syntax error";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /** {@code providers[0].slug} from the parser's context at a duplicate key. */
    private static String dottedPath(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, (c.getParent() == null || c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
            }
        }
        return path.toString();
    }

    private static String readFailure(IOException e) {
        return switch (e) {
            case NoSuchFileException missing -> "no such file";
            case AccessDeniedException denied -> "not readable (permission denied)";
            case CharacterCodingException encoding -> "not UTF-8 text";
            case FileSystemException other when other.getReason() != null -> other.getReason();
            default -> "I/O error (" + e.getClass().getSimpleName() + ")";
        };
    }

    private static ObjectNode empty() {
        return JsonNodeFactory.instance.objectNode();
    }
}
