from mfactory.cli import main

main()
