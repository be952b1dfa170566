package io.virtflux.operation;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A command as the journal keeps it with its operation: the name of the {@link CommandHandler} that
 * runs it and the command's fields (JSON). The JSON names are those the journal has used since it
 * first kept requests, so that what an earlier version journaled still reads back.
 *
 * @param name the handler's {@link CommandHandler#name()}
 * @param command the command
 */
record JournaledCommand(
    @JsonProperty("recipe") String name, @JsonProperty("inputs") Object command) {}
