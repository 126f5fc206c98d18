"""`python -m summarizer …` runs the command line."""

from summarizer.cli import main

main()
