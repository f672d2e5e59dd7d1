package dev.switchboard.core.preset;

import java.util.Locale;

/** A preset's status, as OpenRouter names them. Presets are created {@link #ACTIVE}; nothing changes that yet. */
public enum PresetStatus {
    ACTIVE,
    DISABLED,
    ARCHIVED;

    /** The name clients see and the store keeps: {@code active}, {@code disabled}, {@code archived}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status with this {@link #wireName()}.
     *
     * @throws IllegalArgumentException for a name that is no status's
     */
    public static PresetStatus parse(String wireName) {
        for (PresetStatus status : values()) {
            if (status.wireName().equals(wireName)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a preset status: " + wireName);
    }
}
