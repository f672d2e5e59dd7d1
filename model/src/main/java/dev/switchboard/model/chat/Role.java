package dev.switchboard.model.chat;

/** Who a message is from. {@code DEVELOPER} is OpenAI's name for system instructions to reasoning models. */
public enum Role {
    SYSTEM,
    DEVELOPER,
    USER,
    ASSISTANT,
    TOOL
}
