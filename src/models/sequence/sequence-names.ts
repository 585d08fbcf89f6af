// The sequence model names (kept apart from the trainer so the CLI can route without loading TensorFlow.js).

export const SEQUENCE_MODELS = ["lstm", "lstm-clf", "dense-window"] as const;
export type SequenceModelName = (typeof SEQUENCE_MODELS)[number];

export function isSequenceModel(name: string): name is SequenceModelName {
  return (SEQUENCE_MODELS as readonly string[]).includes(name);
}
