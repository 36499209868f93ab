"""Gateway panels on the framework's objective and country pages."""
