from compacts.cli import main

main()
