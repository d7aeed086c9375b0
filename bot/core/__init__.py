"""The pure core: knowledge base, territory, understanding, matching, dialogue."""
