// placeholder until scripts/generate writes this module
