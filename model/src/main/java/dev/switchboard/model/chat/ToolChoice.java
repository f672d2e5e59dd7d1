package dev.switchboard.model.chat;

import java.util.Objects;

/** Whether and which tool the model must call. */
public sealed interface ToolChoice {
    /** The model decides. */
    record Auto() implements ToolChoice {}

    /** The model must not call a tool. */
    record None() implements ToolChoice {}

    /** The model must call some tool. */
    record Required() implements ToolChoice {}

    /** The model must call this tool. */
    record Named(String name) implements ToolChoice {
        public Named {
            Objects.requireNonNull(name, "name");
        }
    }

    ToolChoice AUTO = new Auto();
    ToolChoice NONE = new None();
    ToolChoice REQUIRED = new Required();
}
