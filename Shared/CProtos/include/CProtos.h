/* Umbrella header for protoc-c output; written by scripts/generate. */
