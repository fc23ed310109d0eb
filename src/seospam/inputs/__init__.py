"""Page inputs: one page from str, bytes, a path, a URL or a record; decoding, text and HTML structure."""
