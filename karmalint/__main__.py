from karmalint.cli import run

run()
