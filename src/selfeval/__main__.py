from selfeval.launch import main

main()
