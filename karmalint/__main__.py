from karmalint.cli import main

main()
