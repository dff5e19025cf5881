// gRPC C++ peer for the transport benchmark: grpc.testing.TestService on Debian's
// libgrpc++ (1.51), written with the callback API the way grpc's own examples use it
// (a CallbackService subclass, DefaultReactor for unary, a ServerWriteReactor for
// server streaming). It implements only what the benchmark drives:
//   UnaryCall            -> SimpleResponse with response_size zero bytes of payload
//   StreamingOutputCall  -> one StreamingOutputCallResponse per response_parameters entry
// Everything else answers UNIMPLEMENTED (the CallbackService default).
//
// The generated test.grpc.pb.* / *.pb.* files are produced by Benchmarks/transport/run
// into its build folder from proto/grpc/testing; they are not committed.
//
// Usage: interop_server_cpp --port N     (listens on 127.0.0.1:N, plaintext h2c)

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "grpc/testing/test.grpc.pb.h"

using grpc::CallbackServerContext;
using grpc::Server;
using grpc::ServerBuilder;
using grpc::ServerUnaryReactor;
using grpc::ServerWriteReactor;
using grpc::Status;
using grpc::testing::SimpleRequest;
using grpc::testing::SimpleResponse;
using grpc::testing::StreamingOutputCallRequest;
using grpc::testing::StreamingOutputCallResponse;
using grpc::testing::TestService;

namespace {

class TestServiceImpl final : public TestService::CallbackService {
  ServerUnaryReactor* UnaryCall(CallbackServerContext* context,
                                const SimpleRequest* request,
                                SimpleResponse* response) override {
    if (request->response_size() > 0) {
      response->mutable_payload()->set_body(
          std::string(static_cast<size_t>(request->response_size()), '\0'));
    }
    ServerUnaryReactor* reactor = context->DefaultReactor();
    if (request->has_response_status() && request->response_status().code() != 0) {
      reactor->Finish(Status(static_cast<grpc::StatusCode>(request->response_status().code()),
                             request->response_status().message()));
    } else {
      reactor->Finish(Status::OK);
    }
    return reactor;
  }

  // Writes the requested responses one after another; the next Write is started from
  // OnWriteDone, as the callback API requires (one outstanding write at a time).
  class StreamWriter final : public ServerWriteReactor<StreamingOutputCallResponse> {
   public:
    explicit StreamWriter(const StreamingOutputCallRequest* request) : request_(*request) {
      NextWrite();
    }
    void OnWriteDone(bool ok) override {
      if (!ok) {
        Finish(Status(grpc::StatusCode::UNKNOWN, "write failed"));
        return;
      }
      NextWrite();
    }
    void OnDone() override { delete this; }

   private:
    void NextWrite() {
      if (next_ >= request_.response_parameters_size()) {
        Finish(Status::OK);
        return;
      }
      const auto& params = request_.response_parameters(next_++);
      response_.Clear();
      if (params.size() > 0) {
        response_.mutable_payload()->set_body(
            std::string(static_cast<size_t>(params.size()), '\0'));
      }
      StartWrite(&response_);
    }

    StreamingOutputCallRequest request_;
    StreamingOutputCallResponse response_;
    int next_ = 0;
  };

  ServerWriteReactor<StreamingOutputCallResponse>* StreamingOutputCall(
      CallbackServerContext* /*context*/, const StreamingOutputCallRequest* request) override {
    return new StreamWriter(request);
  }
};

std::unique_ptr<Server> g_server;

void OnSignal(int) {
  // Shutdown from a signal handler is not async-signal-safe in general; the benchmark
  // sends SIGTERM and then SIGKILL after a grace period, so a plain exit is enough.
  std::_Exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  int port = 50072;
  for (int i = 1; i < argc; i++) {
    if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc) port = std::atoi(argv[++i]);
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);

  std::string address = "127.0.0.1:" + std::to_string(port);
  TestServiceImpl service;
  ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  g_server = builder.BuildAndStart();
  if (!g_server) {
    std::cerr << "interop_server_cpp: failed to listen on " << address << std::endl;
    return 1;
  }
  std::cerr << "interop_server_cpp listening on " << address << std::endl;
  g_server->Wait();
  return 0;
}
