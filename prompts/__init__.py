"""Prompt templates (Jinja), shipped inside the wheel as `summarizer.prompts`."""
