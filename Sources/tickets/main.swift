import TicketsCLI

exit(TicketsCLI.main())
