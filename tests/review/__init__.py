"""Tests of the review commands: diff, explain, who-can, graph and export."""
