import Glibc
import TicketsCLI

exit(TicketsCLI.main())
