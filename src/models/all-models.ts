// Registers every built-in tabular model family (imported once by commands that need models).
// Each family adds one import line here.

export {};
