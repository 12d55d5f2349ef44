"""Media of a call: aiortc peer sessions, synthetic test tracks, received-frame sinks.

Modules (import them directly; this package imports nothing on its own so that
``import console.calls`` stays cheap):

- :mod:`console.calls.session`: :class:`~console.calls.session.StaffCallSession`
  (the console answers) and :class:`~console.calls.session.PatientCallSession`
  (the simulator and tests offer), both speaking :class:`console.protocol.Signal`.
- :mod:`console.calls.media`: :class:`~console.calls.media.TestPatternTrack`,
  :class:`~console.calls.media.ToneTrack` and :class:`~console.calls.media.FrameSink`.
- :mod:`console.calls.ice`: :class:`~console.calls.ice.CallConfig` (ICE servers,
  host candidates) and the browser ICE-candidate dictionary codec.
- :mod:`console.calls.registry`: :class:`~console.calls.registry.CallRegistry`.
- :mod:`console.calls.errors`: ``CallError``, ``SignalError``, ``TrackEnded``.

Everything here runs on the asyncio loop (the qasync loop inside the console);
only frame conversion leaves it, for a small executor (:func:`media.frame_executor`).
"""
