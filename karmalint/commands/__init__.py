"""The subcommands of ``karmalint``, one module each."""
