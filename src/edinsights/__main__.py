from edinsights.cli import main

main()
