"""Tests of the CI integrations: the pre-commit hook and the GitHub Action."""
