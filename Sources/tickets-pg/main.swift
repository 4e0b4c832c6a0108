import Glibc
import TicketsCLI
import TicketsPostgres

exit(TicketsCLI.main(server: TicketsCLI.Server(open: PostgresStore.open, about: "libpq \(PostgresLibrary.version)")))
