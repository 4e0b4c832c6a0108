public enum TicketsCLI {}
