import NIOCore

/// What `ConnectionLifetime` asks its connection to do (on the event loop).
protocol ConnectionLifetimeEvents: AnyObject {
    func lifetimeRequestsGracefulShutdown(grace: Duration)
    func lifetimeRequestsKeepalivePing()
    func lifetimeRequestsClose()
    /// The peer is too slow on purpose (slowloris): GOAWAY ENHANCE_YOUR_CALM with `reason`, close.
    func lifetimeRequestsAbort(reason: String)
}

/// One server connection's keepalive, ping-strike, idle, age and slow-peer policy. Event-loop confined;
/// the connection reports activity and pings, this type decides and schedules.
final class ConnectionLifetime {
    enum PingVerdict { case fine, tooManyPings }

    private let policy: ServerConnectionPolicy
    private let eventLoop: any EventLoop
    // Weak, and timers capture `self` weakly: a timer's action may close the connection, whose
    // teardown drops this object while the action is still running (seen as a crash with
    // `unowned` when a silent peer hit the keepalive timeout).
    private weak var events: (any ConnectionLifetimeEvents)?
    private var lastClientPing: NIODeadline?
    private var pingStrikes = 0
    private var idleTimer: Scheduled<Void>?
    private var ageTimer: Scheduled<Void>?
    private var keepaliveTimer: Scheduled<Void>?
    private var keepaliveTimeout: Scheduled<Void>?
    private var handshakeTimer: Scheduled<Void>?
    private var headerBlockTimer: Scheduled<Void>?

    init(policy: ServerConnectionPolicy, eventLoop: any EventLoop, events: any ConnectionLifetimeEvents) {
        self.policy = policy
        self.eventLoop = eventLoop
        self.events = events
        if let age = policy.maxConnectionAge {
            // ±10 % jitter so connections made together do not all reconnect together.
            let jittered = age.nanoseconds + Int64(Double(age.nanoseconds) * Double.random(in: -0.1...0.1))
            ageTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(jittered)) { [weak self] in
                guard let self else { return }
                self.events?.lifetimeRequestsGracefulShutdown(grace: self.policy.maxConnectionAgeGrace)
            }
        }
        if let timeout = policy.handshakeTimeout {
            handshakeTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) { [weak self] in
                self?.events?.lifetimeRequestsAbort(reason: "handshake_timeout")
            }
        }
        activeStreamsChanged(0)
        scheduleKeepalive()
    }

    func stop() {
        for timer in [idleTimer, ageTimer, keepaliveTimer, keepaliveTimeout, handshakeTimer, headerBlockTimer] { timer?.cancel() }
        idleTimer = nil
        ageTimer = nil
        keepaliveTimer = nil
        keepaliveTimeout = nil
        handshakeTimer = nil
        headerBlockTimer = nil
    }

    /// The client's preface and first SETTINGS arrived.
    func handshakeCompleted() {
        handshakeTimer?.cancel()
        handshakeTimer = nil
    }

    /// A HEADERS block started; it must end within `headerBlockTimeout`.
    func headerBlockStarted() {
        guard headerBlockTimer == nil, let timeout = policy.headerBlockTimeout else { return }
        headerBlockTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) { [weak self] in
            self?.events?.lifetimeRequestsAbort(reason: "header_timeout")
        }
    }

    /// The open HEADERS block ended (END_HEADERS, or nghttp2 dropped its stream).
    func headerBlockEnded() {
        headerBlockTimer?.cancel()
        headerBlockTimer = nil
    }

    /// We sent a message: as in gRPC C-core, data going out forgives the client's PINGs. A
    /// client receiving a long server stream sends BDP-probe PINGs (grpcio does, every few
    /// reads); without this, a busy WatchOutages subscriber was sent GOAWAY too_many_pings.
    func messageSent() {
        pingStrikes = 0
        lastClientPing = nil
    }

    /// Starts the idle clock when the last call ends; stops it when one starts.
    func activeStreamsChanged(_ count: Int) {
        if count > 0 {
            pingStrikes = 0  // gRPC forgives pings once there is real traffic
            idleTimer?.cancel()
            idleTimer = nil
        } else if idleTimer == nil, let idle = policy.maxConnectionIdle {
            idleTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(idle.nanoseconds)) { [weak self] in
                self?.events?.lifetimeRequestsGracefulShutdown(grace: .seconds(1))
            }
        }
    }

    /// A client PING arrived: too frequent ones (or any without calls, unless permitted) are strikes.
    func clientPinged(activeStreams: Int) -> PingVerdict {
        let now = NIODeadline.now()
        defer { lastClientPing = now }
        let tooSoon = lastClientPing.map { now - $0 < .nanoseconds(policy.minPingInterval.nanoseconds) } ?? false
        let withoutCalls = activeStreams == 0 && !policy.permitPingWithoutCalls
        guard tooSoon || (withoutCalls && lastClientPing != nil) else { return .fine }
        pingStrikes += 1
        return pingStrikes > policy.maxPingStrikes ? .tooManyPings : .fine
    }

    func pingAcknowledged() {
        keepaliveTimeout?.cancel()
        keepaliveTimeout = nil
    }

    private func scheduleKeepalive() {
        guard let time = policy.keepaliveTime else { return }
        keepaliveTimer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(time.nanoseconds)) { [weak self] in
            guard let self else { return }
            if self.keepaliveTimeout == nil {
                self.events?.lifetimeRequestsKeepalivePing()
                self.keepaliveTimeout = self.eventLoop.assumeIsolated().scheduleTask(
                    in: .nanoseconds(self.policy.keepaliveTimeout.nanoseconds)
                ) { [weak self] in
                    self?.events?.lifetimeRequestsClose()  // the peer is gone without closing TCP
                }
            }
            self.scheduleKeepalive()
        }
    }
}
