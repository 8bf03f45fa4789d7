// CLI commands: placeholder.
