// Mercado Pago's Go SDK as a client of the orchestrator: built by test/clients/sdk-drivers.ts into .tools/ (docs/clients.md).
module clients

go 1.22

require github.com/mercadopago/sdk-go v1.8.0

require github.com/google/uuid v1.5.0 // indirect
